"""The monthly circular (月度通报): sections from a registry, written as Excel (with formulas) or PDF."""
