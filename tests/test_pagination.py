"""PageFirstPaginator: a page whose rows bring the count needs no COUNT of its own; past the
last page it says so as Paginator does."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger

from tracker.pagination import PageFirstPaginator


class CountedRows:
    """Rows that learn their total when a slice of them is read (as RankedFits does from its
    window count), and count separately only when asked before."""

    def __init__(self, total):
        self.rows = [f"row {n}" for n in range(total)]
        self.known = None
        self.counted = 0

    def __getitem__(self, page):
        taken = self.rows[page]
        if taken:
            self.known = len(self.rows)
        return taken

    def __len__(self):
        if self.known is None:
            self.counted += 1
            return len(self.rows)
        return self.known


def test_a_page_is_read_before_and_without_a_count():
    rows = CountedRows(23)
    page = PageFirstPaginator(rows, 10).page(2)
    assert list(page) == [f"row {n}" for n in range(10, 20)]
    assert (page.paginator.count, page.paginator.num_pages, page.has_next()) == (23, 3, True)
    assert rows.counted == 0


def test_the_last_page_holds_what_is_left():
    page = PageFirstPaginator(CountedRows(23), 10).page("3")
    assert list(page) == ["row 20", "row 21", "row 22"]
    assert not page.has_next()


def test_past_the_last_page_it_counts_and_says_so():
    rows = CountedRows(23)
    with pytest.raises(EmptyPage):
        PageFirstPaginator(rows, 10).page(4)
    assert rows.counted == 1


def test_an_empty_list_has_one_empty_first_page():
    page = PageFirstPaginator(CountedRows(0), 10).page(1)
    assert list(page) == [] and page.paginator.count == 0


@pytest.mark.parametrize("number", ["two", None, "1.5"])
def test_a_page_number_that_is_not_a_whole_number_is_refused(number):
    with pytest.raises(PageNotAnInteger):
        PageFirstPaginator(CountedRows(5), 10).page(number)


@pytest.mark.parametrize("number", [0, -1])
def test_a_page_number_below_one_is_refused(number):
    with pytest.raises(EmptyPage):
        PageFirstPaginator(CountedRows(5), 10).page(number)


def test_get_page_falls_back_to_the_last_page_past_the_end():
    page = PageFirstPaginator(CountedRows(23), 10).get_page(9)
    assert page.number == 3 and list(page)[-1] == "row 22"
