"""Embedded sample regions (package data)."""
