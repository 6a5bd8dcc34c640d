"""The reports site: a results tree → dashboard, exercise pages, TA and student submission pages."""
