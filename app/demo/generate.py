"""Placeholder module replaced below."""
import click


@click.command("generate")
def generate_command() -> None:
    """Fill the schema with a synthetic benchmark catalog."""
