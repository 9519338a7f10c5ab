"""Accounts: users, sign-in, e-mail verification and password reset, profile and addresses, and the
roles and scopes every other part of the site asks about (`permissions`)."""
