"""Runnable examples for integrators."""
