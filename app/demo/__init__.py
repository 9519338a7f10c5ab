"""Demo data: the hand-written real-device catalog (`flask demo load`) and the synthetic
benchmark catalog (`flask demo generate`). Uses the domain models; owns no tables."""
