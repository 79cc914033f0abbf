"""Example order and reporting service."""
