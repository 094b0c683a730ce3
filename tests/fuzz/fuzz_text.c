/*
 * libFuzzer target: Vietnamese text handling — UTF-8 validity, NFC,
 * cleaning, the search fold and the identity key — with the invariants
 * they promise checked on every input.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a = fuzz_arena();
	const char		*s = (const char *)data;
	char			*nfc, *fold, *key, *clean;
	int			 valid;

	valid = text_utf8_valid(s, size);
	nfc = text_nfc(a, s, size);
	clean = text_clean(a, s, size);
	fold = text_fold(a, s, size);
	key = text_key(a, s, size);
	/* Every function agrees on what is valid UTF-8. */
	if ((nfc != NULL) != valid || (clean != NULL) != valid ||
	    (fold != NULL) != valid || (key != NULL) != valid)
		abort();
	if (valid) {
		/* Outputs are valid UTF-8; folding is idempotent. */
		if (!text_utf8_valid(nfc, strlen(nfc)) ||
		    !text_utf8_valid(fold, strlen(fold)) ||
		    strcmp(text_fold(a, fold, strlen(fold)), fold) != 0 ||
		    strcmp(text_nfc(a, nfc, strlen(nfc)), nfc) != 0)
			abort();
	}
	arena_reset(a);
	return 0;
}
