/*
 * test_util_strview.c - string views (construction, comparison, trimming) and UTF-8
 * validation against a table of valid and invalid sequences.
 */
#include <stdio.h>
#include <string.h>

#include "test_support.h"

static void test_util_strview__make_and_sv(void **state)
{
    (void)state;
    const char *s = "hello";
    mdl_strview v = mdl_sv(s);
    assert_ptr_equal(v.ptr, s);
    assert_int_equal(v.len, 5);
    v = mdl_sv("");
    assert_int_equal(v.len, 0);
    assert_non_null(v.ptr);
    v = mdl_sv(NULL);
    assert_null(v.ptr);
    assert_int_equal(v.len, 0);
    v = mdl_sv_make(s + 1, 3);
    assert_ptr_equal(v.ptr, s + 1);
    assert_int_equal(v.len, 3);
}

static void test_util_strview__eq(void **state)
{
    (void)state;
    assert_true(mdl_sv_eq(mdl_sv("abc"), mdl_sv("abc")));
    assert_false(mdl_sv_eq(mdl_sv("abc"), mdl_sv("abd")));
    assert_false(mdl_sv_eq(mdl_sv("abc"), mdl_sv("ab")));
    assert_false(mdl_sv_eq(mdl_sv("ab"), mdl_sv("abc")));
    assert_false(mdl_sv_eq(mdl_sv("abc"), mdl_sv("ABC")));
    /* Views compare by bytes, not by NUL termination. */
    assert_true(mdl_sv_eq(mdl_sv_make("abcdef", 3), mdl_sv("abc")));
    assert_true(mdl_sv_eq(mdl_sv_make("a\0b", 3), mdl_sv_make("a\0b", 3)));
    assert_false(mdl_sv_eq(mdl_sv_make("a\0b", 3), mdl_sv_make("a\0c", 3)));
    /* Empty views are equal whatever their pointers, NULL included. */
    assert_true(mdl_sv_eq(mdl_sv(""), mdl_sv(NULL)));
    assert_true(mdl_sv_eq(mdl_sv_make(NULL, 0), mdl_sv_make("x", 0)));
    assert_false(mdl_sv_eq(mdl_sv(NULL), mdl_sv("x")));
}

static void test_util_strview__eq_cstr(void **state)
{
    (void)state;
    assert_true(mdl_sv_eq_cstr(mdl_sv("int64"), "int64"));
    assert_false(mdl_sv_eq_cstr(mdl_sv("int64"), "INT64"));
    assert_true(mdl_sv_eq_cstr(mdl_sv_make("int64 not null", 5), "int64"));
    assert_false(mdl_sv_eq_cstr(mdl_sv_make("int64 not null", 5), "int6"));
    assert_false(mdl_sv_eq_cstr(mdl_sv_make("int64 not null", 5), "int64 "));
    assert_true(mdl_sv_eq_cstr(mdl_sv_make(NULL, 0), ""));
    /* An embedded NUL in the view: the C string stops earlier, so they differ. */
    assert_false(mdl_sv_eq_cstr(mdl_sv_make("ab\0", 3), "ab"));
}

static void test_util_strview__ieq_cstr(void **state)
{
    (void)state;
    assert_true(mdl_sv_ieq_cstr(mdl_sv("HeLLo"), "hello"));
    assert_true(mdl_sv_ieq_cstr(mdl_sv("hello"), "HELLO"));
    assert_true(mdl_sv_ieq_cstr(mdl_sv("DECIMAL"), "decimal"));
    assert_true(mdl_sv_ieq_cstr(mdl_sv("a1_-"), "A1_-"));
    assert_false(mdl_sv_ieq_cstr(mdl_sv("hello"), "hell"));
    assert_false(mdl_sv_ieq_cstr(mdl_sv("hell"), "hello"));
    assert_false(mdl_sv_ieq_cstr(mdl_sv("hellp"), "hello"));
    assert_true(mdl_sv_ieq_cstr(mdl_sv(""), ""));
    assert_true(mdl_sv_ieq_cstr(mdl_sv(NULL), ""));
    /* Only ASCII letters fold: '[' (0x5B) is not '{' (0x7B), '@' is not '`'. */
    assert_false(mdl_sv_ieq_cstr(mdl_sv("["), "{"));
    assert_false(mdl_sv_ieq_cstr(mdl_sv("@"), "`"));
    assert_false(mdl_sv_ieq_cstr(mdl_sv("^"), "~"));
    /* Non-ASCII bytes compare exactly: "É" (C3 89) vs "é" (C3 A9). */
    assert_false(mdl_sv_ieq_cstr(mdl_sv("\xC3\x89"), "\xC3\xA9"));
    assert_true(mdl_sv_ieq_cstr(mdl_sv("\xC3\xA9X"), "\xC3\xA9x"));
    /* Length comes from the view, not from a NUL. */
    assert_true(mdl_sv_ieq_cstr(mdl_sv_make("NOT NULL!", 8), "not null"));
}

static void test_util_strview__trim(void **state)
{
    (void)state;
    const char *s = " \t hello world\t  ";
    mdl_strview t = mdl_sv_trim(mdl_sv(s));
    assert_ptr_equal(t.ptr, s + 3);
    assert_int_equal(t.len, 11);
    assert_true(mdl_sv_eq_cstr(t, "hello world"));

    t = mdl_sv_trim(mdl_sv("nothing"));
    assert_true(mdl_sv_eq_cstr(t, "nothing"));

    t = mdl_sv_trim(mdl_sv(" \t \t "));
    assert_int_equal(t.len, 0);
    t = mdl_sv_trim(mdl_sv(""));
    assert_int_equal(t.len, 0);
    t = mdl_sv_trim(mdl_sv(NULL));
    assert_int_equal(t.len, 0);

    t = mdl_sv_trim(mdl_sv("x"));
    assert_true(mdl_sv_eq_cstr(t, "x"));
    t = mdl_sv_trim(mdl_sv("  x"));
    assert_true(mdl_sv_eq_cstr(t, "x"));
    t = mdl_sv_trim(mdl_sv("x  "));
    assert_true(mdl_sv_eq_cstr(t, "x"));

    /* Only spaces and tabs: newlines, CR, vertical tab, NBSP stay. */
    t = mdl_sv_trim(mdl_sv("\nx\r"));
    assert_true(mdl_sv_eq_cstr(t, "\nx\r"));
    t = mdl_sv_trim(mdl_sv(" \vx\f "));
    assert_true(mdl_sv_eq_cstr(t, "\vx\f"));
    t = mdl_sv_trim(mdl_sv("\xC2\xA0x\xC2\xA0"));
    assert_true(mdl_sv_eq_cstr(t, "\xC2\xA0x\xC2\xA0"));

    /* Trimming stays inside the view: bytes beyond len are not looked at. */
    t = mdl_sv_trim(mdl_sv_make("  ab  cd", 5));
    assert_true(mdl_sv_eq_cstr(t, "ab"));
}

/* ---- UTF-8 ------------------------------------------------------------------------------ */

typedef struct utf8_case {
    const char *bytes;
    size_t len;
    bool valid;
    const char *what;
} utf8_case;

#define U8(lit, ok, what)                                                                          \
    {                                                                                              \
        lit, sizeof(lit) - 1, ok, what                                                             \
    }

static const utf8_case UTF8_CASES[] = {
    U8("", true, "empty"),
    U8("a", true, "one ASCII byte"),
    U8("hello, world", true, "ASCII"),
    U8("\x7F", true, "DEL"),
    {"\0", 1, true, "a NUL byte is valid UTF-8"},
    {"a\0b\0c\0d\0e", 9, true, "NULs inside an ASCII run"},
    /* two-byte */
    U8("\xC2\x80", true, "U+0080, smallest 2-byte"),
    U8("\xC3\xA9", true, "U+00E9 e-acute"),
    U8("\xDF\xBF", true, "U+07FF, largest 2-byte"),
    U8("\xC0\x80", false, "overlong NUL (C0 80)"),
    U8("\xC0\xAF", false, "overlong '/' (C0 AF)"),
    U8("\xC1\xBF", false, "overlong U+007F (C1 BF)"),
    U8("\xC2", false, "2-byte truncated at end"),
    U8("\xC2\x41", false, "2-byte with ASCII continuation"),
    U8("\xC2\xC0", false, "2-byte with non-continuation"),
    /* three-byte */
    U8("\xE0\xA0\x80", true, "U+0800, smallest 3-byte"),
    U8("\xE2\x82\xAC", true, "U+20AC euro sign"),
    U8("\xED\x9F\xBF", true, "U+D7FF, just below surrogates"),
    U8("\xEE\x80\x80", true, "U+E000, just above surrogates"),
    U8("\xEF\xBF\xBD", true, "U+FFFD replacement character"),
    U8("\xEF\xBF\xBF", true, "U+FFFF"),
    U8("\xE0\x80\x80", false, "overlong NUL (E0 80 80)"),
    U8("\xE0\x9F\xBF", false, "overlong U+07FF (E0 9F BF)"),
    U8("\xED\xA0\x80", false, "surrogate U+D800 (ED A0 80)"),
    U8("\xED\xBF\xBF", false, "surrogate U+DFFF (ED BF BF)"),
    U8("\xED\xA0\x80\xED\xB0\x80", false, "CESU-8 surrogate pair"),
    U8("\xE2\x82", false, "3-byte truncated after 2"),
    U8("\xE2", false, "3-byte truncated after 1"),
    U8("\xE2\x28\xA1", false, "3-byte with bad second byte"),
    U8("\xE2\x82\x28", false, "3-byte with bad third byte"),
    /* four-byte */
    U8("\xF0\x90\x80\x80", true, "U+10000, smallest 4-byte"),
    U8("\xF0\x9F\x98\x80", true, "U+1F600 grinning face emoji"),
    U8("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", true, "thumbs up + skin tone"),
    U8("\xF4\x8F\xBF\xBF", true, "U+10FFFF, largest code point"),
    U8("\xF0\x80\x80\x80", false, "overlong NUL (F0 80 80 80)"),
    U8("\xF0\x8F\xBF\xBF", false, "overlong U+FFFF (F0 8F BF BF)"),
    U8("\xF4\x90\x80\x80", false, "U+110000 (F4 90 80 80)"),
    U8("\xF5\x80\x80\x80", false, "F5 lead byte"),
    U8("\xF7\xBF\xBF\xBF", false, "F7 lead byte"),
    U8("\xF8\x88\x80\x80\x80", false, "5-byte form"),
    U8("\xFC\x84\x80\x80\x80\x80", false, "6-byte form"),
    U8("\xFE", false, "FE"),
    U8("\xFF", false, "FF"),
    U8("\xF0\x9F\x98", false, "4-byte truncated after 3"),
    U8("\xF0\x9F", false, "4-byte truncated after 2"),
    U8("\xF0", false, "4-byte truncated after 1"),
    U8("\xF0\x9F\x28\x80", false, "4-byte with bad third byte"),
    U8("\xF0\x9F\x98\x28", false, "4-byte with bad fourth byte"),
    /* stray continuation bytes */
    U8("\x80", false, "lone continuation 80"),
    U8("\xBF", false, "lone continuation BF"),
    U8("a\x80z", false, "continuation between ASCII"),
    U8("\xC3\xA9\xA9", false, "extra continuation after 2-byte"),
    U8("\xF0\x9F\x98\x80\x80", false, "extra continuation after emoji"),
    /* mixed */
    U8("caf\xC3\xA9 \xE2\x82\xAC"
       "5 \xF0\x9F\x98\x80!",
       true, "mixed widths"),
    U8("abcdefg\xC3\xA9", true, "2-byte straddling the 8-byte word"),
    U8("abcdefgh\xF0\x9F\x98\x80"
       "abcdefgh",
       true, "emoji between words"),
    U8("abcdefgh\xF0\x9F\x98", false, "emoji truncated after a word"),
    U8("abcdefghijklmnop\xE2\x82", false, "3-byte truncated after two words"),
};

static void test_util_strview__utf8_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof UTF8_CASES / sizeof UTF8_CASES[0]; i++) {
        const utf8_case *c = &UTF8_CASES[i];
        bool got = mdl_utf8_valid(c->bytes, c->len);
        if (got != c->valid)
            fail_msg("case %zu (%s): expected %s", i, c->what, c->valid ? "valid" : "invalid");
    }
}

static void test_util_strview__utf8_every_lead_byte(void **state)
{
    (void)state;
    /* Every lead byte with a plain continuation: exactly C2..DF (2-byte), E1..EC, EE, EF
     * (3-byte) and F1..F3 (4-byte) accept 80 as the second byte. */
    for (unsigned lead = 0x80; lead <= 0xFF; lead++) {
        char s[4] = {(char)lead, (char)0x80, (char)0x80, (char)0x80};
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        bool want = (lead >= 0xC2 && lead <= 0xDF) || (lead >= 0xE1 && lead <= 0xEF) ||
                    (lead >= 0xF1 && lead <= 0xF4);
        if (lead == 0xE0 || lead == 0xF0)
            want = false; /* 80 is overlong after these */
        if (mdl_utf8_valid(s, need) != want)
            fail_msg("lead %02X + 80...: expected %s", lead, want ? "valid" : "invalid");
        /* One byte short is always invalid. */
        if (lead >= 0xC2 && mdl_utf8_valid(s, need - 1))
            fail_msg("lead %02X truncated accepted", lead);
    }
}

static void test_util_strview__utf8_every_code_point(void **state)
{
    (void)state;
    /* Encode every scalar value; all must validate. Surrogate code points, encoded the
     * same way, must not. */
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        unsigned char b[4];
        size_t n;
        if (cp < 0x80) {
            b[0] = (unsigned char)cp;
            n = 1;
        } else if (cp < 0x800) {
            b[0] = (unsigned char)(0xC0 | (cp >> 6));
            b[1] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 2;
        } else if (cp < 0x10000) {
            b[0] = (unsigned char)(0xE0 | (cp >> 12));
            b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            b[2] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 3;
        } else {
            b[0] = (unsigned char)(0xF0 | (cp >> 18));
            b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
            b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            b[3] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 4;
        }
        bool want = cp < 0xD800 || cp > 0xDFFF;
        if (mdl_utf8_valid((const char *)b, n) != want)
            fail_msg("U+%04X: expected %s", (unsigned)cp, want ? "valid" : "invalid");
    }
}

static void test_util_strview__utf8_bad_byte_at_every_position(void **state)
{
    (void)state;
    /* A run of ASCII with one bad byte at positions 0..17, for lengths around the
     * eight-byte fast path, so the bad byte lands before, on and after word boundaries. */
    static const unsigned char bad[] = {0x80, 0xFF, 0xC0, 0xF5};
    for (size_t len = 1; len <= 40; len++) {
        char s[48];
        memset(s, 'a', sizeof s);
        assert_true(mdl_utf8_valid(s, len));
        for (size_t pos = 0; pos < 18 && pos < len; pos++) {
            for (size_t k = 0; k < sizeof bad; k++) {
                memset(s, 'a', sizeof s);
                s[pos] = (char)bad[k];
                if (mdl_utf8_valid(s, len))
                    fail_msg("len %zu: bad byte %02X at %zu accepted", len, bad[k], pos);
                /* Bytes beyond len are never looked at. */
                if (pos > 0 && !mdl_utf8_valid(s, pos))
                    fail_msg("prefix of %zu good bytes rejected", pos);
            }
            /* A valid 2-byte sequence at the same place is accepted... */
            if (pos + 1 < len) {
                memset(s, 'a', sizeof s);
                s[pos] = (char)0xC3;
                s[pos + 1] = (char)0xA9;
                if (!mdl_utf8_valid(s, len))
                    fail_msg("len %zu: e-acute at %zu rejected", len, pos);
                /* ...but cut off by the end of the view it is not. */
                if (mdl_utf8_valid(s, pos + 1))
                    fail_msg("e-acute cut at %zu accepted", pos + 1);
            }
            /* An emoji at every position, and truncated by the view. */
            if (pos + 3 < len) {
                memset(s, 'a', sizeof s);
                memcpy(s + pos, "\xF0\x9F\x98\x80", 4);
                if (!mdl_utf8_valid(s, len))
                    fail_msg("len %zu: emoji at %zu rejected", len, pos);
                for (size_t cut = pos + 1; cut < pos + 4; cut++)
                    if (mdl_utf8_valid(s, cut))
                        fail_msg("emoji at %zu cut at %zu accepted", pos, cut);
            }
        }
    }
}

static void test_util_strview__utf8_long_runs(void **state)
{
    (void)state;
    char s[4096];
    memset(s, 'x', sizeof s);
    assert_true(mdl_utf8_valid(s, sizeof s));
    s[4095] = (char)0x80;
    assert_false(mdl_utf8_valid(s, sizeof s));
    assert_true(mdl_utf8_valid(s, sizeof s - 1));
    s[4095] = 'x';
    s[2048] = (char)0xED;
    s[2049] = (char)0xA0;
    s[2050] = (char)0x80;
    assert_false(mdl_utf8_valid(s, sizeof s));
    s[2049] = (char)0x9F;
    assert_true(mdl_utf8_valid(s, sizeof s));
    /* NULL with length 0 is the empty string. */
    assert_true(mdl_utf8_valid(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_strview__make_and_sv),
        cmocka_unit_test(test_util_strview__eq),
        cmocka_unit_test(test_util_strview__eq_cstr),
        cmocka_unit_test(test_util_strview__ieq_cstr),
        cmocka_unit_test(test_util_strview__trim),
        cmocka_unit_test(test_util_strview__utf8_table),
        cmocka_unit_test(test_util_strview__utf8_every_lead_byte),
        cmocka_unit_test(test_util_strview__utf8_every_code_point),
        cmocka_unit_test(test_util_strview__utf8_bad_byte_at_every_position),
        cmocka_unit_test(test_util_strview__utf8_long_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
