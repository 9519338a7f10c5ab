"""The cart: what a visitor means to buy in one market, re-checked against prices and stock at every step."""
