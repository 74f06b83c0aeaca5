"""Arrow arrays of numpy data without ``pyarrow.array`` (which imports pandas when installed)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def int64_array(values: np.ndarray) -> pa.Array:
    """An Arrow int64 array over ``values`` (no nulls; copied only if not contiguous int64)."""
    data = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data)])
