"""The confidence-interval methods a user may choose, by name.

Apart from `pipeline.stats` (which computes them) so that the command line can offer the
choice without importing scipy.
"""

CI_METHODS = ("auto", "wilson", "clopper-pearson", "hypergeometric")
"""`auto` resolves per indicator (see stats and the README's method section)."""
