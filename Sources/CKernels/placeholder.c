int ck_placeholder(void) { return 0; }
