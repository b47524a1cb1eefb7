"""Server-side SVG charts: geometry computed here, drawn by a template. No chart library, no script."""

from django import template

register = template.Library()

WIDTH, HEIGHT, BASE, LABEL_Y, TOP = 600, 260, 220, 244, 24


@register.simple_tag
def bar_geometry(bars) -> dict:
    slot = WIDTH / max(len(bars), 1)
    tallest = max((b.value for b in bars), default=0) or 1
    drawn = []
    for i, bar in enumerate(bars):
        height = (BASE - TOP) * bar.value / tallest
        x = i * slot + slot * 0.15
        drawn.append(
            {
                "x": round(x, 1),
                "w": round(slot * 0.7, 1),
                "y": round(BASE - height, 1),
                "h": round(height, 1),
                "cx": round(x + slot * 0.35, 1),
                "value_y": round(BASE - height - 6, 1),
                "label": bar.label,
                "text": bar.text,
            }
        )
    return {"width": WIDTH, "height": HEIGHT, "base": BASE, "label_y": LABEL_Y, "bars": drawn}
