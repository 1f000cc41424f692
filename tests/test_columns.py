"""columns.layout: what goes first when a table does not fit."""

from storeops.columns import layout
from storeops.textcells import cell_width, wrap

HEADERS = ["id", "title", "owner", "due"]
ROWS = [["acme-amazon-us", "Prepare the deposit account and credit card", "alice", "2026-12-03"],
        ["acme-walmart-us", "Register the brand", "bob", "2027-01-10"]]


def test_a_table_that_fits_is_left_as_it_is():
    fitted = layout(HEADERS, ROWS, 200, drop=[2, 1], shrink=(1,), dates=(3,), year=2026)
    assert fitted.rows == ROWS and not fitted.hidden


def test_dates_of_the_current_year_lose_the_year_first():
    fitted = layout(HEADERS, ROWS, 78, drop=[2, 1], shrink=(1,), dates=(3,), year=2026)
    assert [r[3] for r in fitted.rows] == ["12-03", "2027-01-10"] and not fitted.hidden


def test_shortenable_columns_are_cut_with_an_ellipsis_before_any_column_goes():
    fitted = layout(HEADERS, ROWS, 60, drop=[2, 1], shrink=(1,), dates=(3,), year=2026)
    lines = fitted.lines()
    assert not fitted.hidden and "…" in lines[1] and all(cell_width(line) <= 60 for line in lines)


def test_columns_go_least_important_first_and_ids_are_never_cut():
    fitted = layout(HEADERS, ROWS, 30, drop=[2, 1], shrink=(1,), dates=(3,), year=2026)
    assert sorted(fitted.hidden) == ["owner", "title"]
    assert fitted.rows[1] == ["acme-walmart-us", "2027-01-10"]
    assert all(cell_width(line) <= 30 for line in fitted.lines())


def test_chinese_cells_are_two_wide():
    fitted = layout(["id", "store"], [["a", "极客厨房"], ["bb", "x"]], None)
    assert fitted.widths == [2, 8]


def test_wrap_folds_at_spaces_and_between_chinese_characters_never_inside_an_id():
    assert wrap("  [overdue] acme-amazon-us/payout-account (Prepare it): overdue", 30) == [
        "  [overdue]", "      acme-amazon-us/payout-account", "      (Prepare it): overdue"]
    assert all(cell_width(line) <= 20 for line in wrap("提醒：" + "极客厨房" * 6, 20))
