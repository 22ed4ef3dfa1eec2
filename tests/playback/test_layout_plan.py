from disagg_viz.playback.layout_plan import kitchen_rows, kitchen_scale, row_counts


def test_rows_never_leave_an_empty_cell():
    for n in range(1, 9):
        for w, h in ((830, 700), (1900, 900), (1200, 300), (600, 1000)):
            rows = kitchen_rows(n, w, h, 330)
            assert sum(rows) == n and all(c >= 1 for c in rows) and max(rows) - min(rows) <= 1


def test_wide_short_room_puts_kitchens_side_by_side_and_tall_room_stacks_them():
    assert kitchen_rows(3, 3000, 400, 330) == [3]
    assert kitchen_rows(3, 830, 1100, 330) == [1, 1, 1]
    assert row_counts(5, 2) == [3, 2]


def test_the_arrangement_is_the_best_one_for_the_smallest_kitchen():
    for n in range(1, 9):
        w, h = 1250, 620
        got = kitchen_scale(n, w, h, 330)
        for rows in range(1, n + 1):
            counts = row_counts(n, rows)
            other = min(min(w / c / 1000, h / rows / 330) for c in counts)
            assert got >= other - 1e-12
