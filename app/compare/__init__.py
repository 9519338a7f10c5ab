"""Model comparison: two to four products side by side, collected while browsing."""
