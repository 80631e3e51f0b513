"""Cross-cutting pieces: tenancy, errors, i18n, pagination, security headers."""
