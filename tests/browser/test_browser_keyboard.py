"""A whole questionnaire answered and sent with the keyboard alone, focus always visible."""

from __future__ import annotations

import pytest
from browser_pages import shoot, shown_items
from browser_support import alliance_items

from interpreter_support.questionnaires.links import find_link

FOCUSED = """() => {
  const element = document.activeElement, style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  let around = element.parentElement, background = "rgb(255, 255, 255)";
  for (; around; around = around.parentElement) {
    const colour = getComputedStyle(around).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)") { background = colour; break; }
  }
  return {tag: element.tagName, name: element.name || "", value: element.value || "",
          css: element.className, checked: !!element.checked,
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
          color: style.outlineColor, background,
          inView: box.top >= 0 && box.bottom <= innerHeight && box.left >= 0
                  && box.right <= innerWidth};
}"""


def _luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1:-1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def press(page, key: str) -> dict:
    """Press a key; what has the focus then, which must be visibly marked."""
    page.keyboard.press(key)
    focused = page.evaluate(FOCUSED)
    assert focused["outline"] != "none" and focused["width"] >= 2, (key, focused)
    # WCAG 1.4.11: the focus ring stands out against the page at 3:1 at least.
    assert contrast(focused["color"], focused["background"]) >= 3, (key, focused)
    assert focused["inView"], (key, focused)
    return focused


@pytest.mark.usefixtures("artifacts")
def test_questionnaire_answered_and_sent_without_a_mouse(live_site, new_page):
    page = new_page()
    path = live_site.link(language="ar")
    page.goto(live_site.url(path))
    items = shown_items(page)
    chosen = {link_id: str(1 + index % 5) for index, link_id in enumerate(items)}

    assert "skip-link" in press(page, "Tab")["css"]
    shoot(page, "k01-skip-link", full_page=False)
    page.keyboard.press("Enter")  # skip the header and the 14 language links
    for link_id in items:
        focused = press(page, "Tab")
        assert (focused["name"], focused["value"]) == (f"item-{link_id}", "1")
        focused = press(page, "Space")
        assert focused["checked"]
        for _ in range(int(chosen[link_id]) - 1):
            focused = press(page, "ArrowDown")  # the next option, also in right-to-left
        assert (focused["value"], focused["checked"]) == (chosen[link_id], True)
        if link_id == items[0]:
            shoot(page, "k02-option-focused", full_page=False)
    focused = press(page, "Tab")
    assert (focused["tag"], focused["value"]) == ("BUTTON", "submit")
    shoot(page, "k03-send-focused", full_page=False)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.keyboard.press("Enter")
    assert posted.value.status == 200

    with live_site.app.app_context():
        administration = find_link(path.removeprefix("/r/")).administration
        assert administration.is_complete and administration.language == "ar"
        stored = {a.link_id: str(a.value) for a in administration.answers}
    assert stored == chosen
    assert set(stored) == {item["link_id"] for item in alliance_items()}
