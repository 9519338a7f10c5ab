"""E-mail: an outbox written in the same transaction as what it announces, and the worker that sends it."""
