"""Indicators: measures of what changed for children, with dated, sourced data points, beside the register."""
