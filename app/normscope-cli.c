/* normscope-cli.c: (being written) */
int main (void) { return 1; }
