from exercises.scoring import ItemKey, keyed_value, subscale_means


def test_a_reverse_keyed_item_is_turned_round_within_the_range():
    assert keyed_value(1, reverse=True, min_value=1, max_value=7) == 7
    assert keyed_value(3, reverse=True, min_value=0, max_value=4) == 1
    assert keyed_value(3, reverse=False, min_value=1, max_value=7) == 3


def test_subscale_scores_are_means_after_reverse_keying():
    items = [
        ItemKey(1, "anxiety", False),
        ItemKey(2, "anxiety", True),
        ItemKey(3, "avoidance", False),
        ItemKey(4, "avoidance", False),
    ]
    means = subscale_means(items, {"1": 6, "2": 2, "3": 1, "4": 4}, min_value=1, max_value=7)
    assert means == {"anxiety": 6.0, "avoidance": 2.5}


def test_unanswered_items_are_left_out_and_an_empty_subscale_has_no_score():
    items = [ItemKey(1, "a", False), ItemKey(2, "a", False), ItemKey(3, "b", True)]
    assert subscale_means(items, {"1": 3}, min_value=1, max_value=5) == {"a": 3.0, "b": None}
