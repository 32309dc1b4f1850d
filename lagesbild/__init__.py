"""Lägesbild: a Swedish municipality's integration policy run as a yearly cycle."""

__version__ = "0.1.0"
