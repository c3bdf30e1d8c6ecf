"""Output: what is made from the scores for people to read: the period report, the site, the open data, their charts, and the CI annotations of `check`."""
