/*
 * test_util_suggest.c - edit distance and the "did you mean" pick.
 */
#include "test_support.h"

static void test_util_suggest__distance(void **state)
{
    (void)state;
    assert_int_equal(mdl_edit_distance("", ""), 0);
    assert_int_equal(mdl_edit_distance("abc", "abc"), 0);
    assert_int_equal(mdl_edit_distance("custmer_id", "customer_id"), 1);
    assert_int_equal(mdl_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(mdl_edit_distance("", "abcd"), 4);
}

static void test_util_suggest__closest(void **state)
{
    (void)state;
    const char *names[] = {"customer_id", "order_id", "currency", "quantity"};
    assert_string_equal(mdl_closest_name("custmer_id", names, 4), "customer_id");
    assert_string_equal(mdl_closest_name("curency", names, 4), "currency");
    assert_null(mdl_closest_name("zzz", names, 4));
    assert_null(mdl_closest_name("id", names, 4)); /* too short to guess from */
    assert_null(mdl_closest_name("x", names, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_suggest__distance),
        cmocka_unit_test(test_util_suggest__closest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
