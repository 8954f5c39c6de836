/*
 * headers_main.c - links the generated one-header translation units; building this
 * program is the test (a header that needs something included first fails to compile).
 */
int main(void)
{
    return 0;
}
