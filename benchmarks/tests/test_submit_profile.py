"""bench-submit's profile table: ranked by the time each function spends by itself."""

import pytest
from submit_profile import top_functions


def test_a_frame_containing_the_whole_view_ranks_by_its_own_time_with_its_cumulative_beside():
    # pstats rows: (file, line, function) → (calls, primitive calls, exclusive s, cumulative s,
    # callers), for 10 requests. The middleware's __call__ contains the view: large cumulative,
    # little of its own.
    stats = {
        ("/x/site-packages/django/middleware.py", 10, "__call__"): (10, 10, 0.01, 0.14, {}),
        ("/x/src/jichitai/procedures/api.py", 20, "submit"): (10, 10, 0.03, 0.13, {}),
        ("~", 0, "<method 'execute' of 'psycopg'>"): (40, 40, 0.06, 0.06, {}),
    }

    rows = top_functions(stats, number=10, top=2)

    assert [row[0] for row in rows] == [
        "<method 'execute' of 'psycopg'>",
        "submit (jichitai/procedures/api.py:20)",
    ]
    _label, exclusive_ms, share, cumulative_ms = rows[1]
    assert exclusive_ms == pytest.approx(3)
    assert share == pytest.approx(30)
    assert cumulative_ms == pytest.approx(13)
