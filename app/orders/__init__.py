"""Orders, seller orders, payments and the platform's commission."""
