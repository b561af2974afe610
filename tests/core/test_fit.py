"""fit_within: the size thumbnails, run history and Gemini inputs are scaled down to."""

import pytest

from studio.core.fit import fit_within


@pytest.mark.parametrize(
    ("size", "side", "fitted"),
    [
        ((4096, 2048), 160, (160, 80)),
        ((2048, 4096), 160, (80, 160)),
        ((6000, 1), 100, (100, 1)),  # never below a pixel
        ((160, 90), 160, None),  # fits already
        ((10, 10), 160, None),  # never enlarged
        ((3001, 2001), 3000, (3000, 2000)),
    ],
)
def test_fit_within(size, side, fitted):
    assert fit_within(*size, side) == fitted
