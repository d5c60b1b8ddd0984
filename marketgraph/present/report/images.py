"""Static pictures of the report's Plotly charts: SVG for the PDF (vector, text stays text), PNG for Markdown.

kaleido drives a headless Chromium (Debian's ``chromium`` here, the same one the browser tests use). Starting it
costs seconds, so one browser renders every chart of a report.
"""
from __future__ import annotations

import re

import plotly.graph_objects as go

from ...errors import MarketgraphError

PNG_SCALE = 2  # 2x pixels: sharp in a wiki at the chart's layout size


class ChartRenderingFailed(MarketgraphError):
    """A chart could not be drawn as an image (no Chromium for kaleido, or it failed)."""


def static_images(charts: dict[str, tuple[go.Figure, int, int]], fmt: str) -> dict[str, bytes]:
    """``{key: image bytes}`` for ``{key: (figure, width, height)}``, as ``svg`` or ``png``."""
    if not charts:
        return {}
    import kaleido

    opts = {"format": fmt, **({"scale": PNG_SCALE} if fmt == "png" else {})}
    try:
        kaleido.start_sync_server(silence_warnings=True)
        try:
            out = {k: kaleido.calc_fig_sync(fig, opts={**opts, "width": w, "height": h})
                   for k, (fig, w, h) in charts.items()}
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
    except Exception as e:  # kaleido raises its own and choreographer's errors when Chromium is absent or dies
        raise ChartRenderingFailed(
            f"could not draw the charts as {fmt.upper()} ({type(e).__name__}: {e}); kaleido needs Chromium "
            "(Debian: apt-get install chromium)") from None
    if fmt == "svg":
        out = {k: _stable_svg(v) for k, v in out.items()}
    return out


def _stable_svg(svg: bytes) -> bytes:
    """Plotly names clip paths and gradients with random ids; number them in order so the same chart gives the
    same bytes (and the PDF the same content)."""
    text = svg.decode("utf-8")
    ids: dict[str, str] = {}
    for m in re.finditer(r'id="([^"]+)"', text):
        ids.setdefault(m.group(1), f"c{len(ids)}")
    if not ids:
        return svg
    pattern = re.compile("|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)))
    return pattern.sub(lambda m: ids[m.group(0)], text).encode("utf-8")
