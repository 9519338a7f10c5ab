"""Checkout: contact and address, delivery per seller, taxes, payment, placing the order."""
