"""Scoring: combining reporters' figures and judging each indicator against its targets."""
