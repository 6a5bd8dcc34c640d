"""The TA review app: the report site served locally, with override and comment forms."""
