from mentorship.messages import message_html


def test_html_is_escaped_and_line_breaks_kept():
    html = message_html("<script>alert(1)</script>\nsecond line")

    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<br>" in html


def test_web_links_become_links_and_other_schemes_stay_text():
    html = message_html("See https://example.org/a?b=1&c=2. Or javascript:alert(1) or data:text/html,x")

    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">' in html
    assert 'href="javascript' not in html and 'href="data' not in html
    assert html.count("<a ") == 1


def test_a_link_cannot_break_out_of_its_attribute():
    html = message_html('https://example.org/"onmouseover="alert(1)')

    assert 'onmouseover="' not in html
