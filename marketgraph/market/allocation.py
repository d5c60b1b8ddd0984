"""Training vs inference: how shipments of parts positioned for both segments are split between them.

A part tagged ``training`` or ``inference`` counts in its segment; a part tagged ``both`` is split by the
inference percentage of its designer and year in ``segment_allocation`` (a row without a vendor is the default
for designers without their own row). The range of each row is the sensitivity sweep's span.
"""
from __future__ import annotations
