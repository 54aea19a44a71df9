"""Pagination helpers: the query string a page's links carry, and a paginator for lists that keep
growing, such as the audit trail."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

AUDIT_COUNT_CAP = 1_000  # 20 pages of 50: past that, a search wants narrowing, not paging


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (then says "more than"), so a page of a trail holding millions of
    events costs the same as one holding thousands. Filters narrow what lies past the cap."""

    def __init__(self, object_list, per_page, *, cap: int = AUDIT_COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


def query_without_page(request) -> str:
    """The request's query string less `page`, for core/_pagination.html's links to keep the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
