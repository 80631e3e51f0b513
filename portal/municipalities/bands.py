"""Population bands of the World Bank strategy (pure)."""

BANDS = ("small", "medium", "large")  # < 20,000; 20,000-100,000; > 100,000


def band_for(population: int | None) -> str | None:
    if population is None:
        return None
    if population < 20_000:
        return "small"
    if population <= 100_000:
        return "medium"
    return "large"


def band_range(band: str) -> tuple[int | None, int | None]:
    """Inclusive lower bound and exclusive upper bound of a band."""
    return {"small": (0, 20_000), "medium": (20_000, 100_001), "large": (100_001, None)}[band]
