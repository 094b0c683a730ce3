/*
 * sms: one outbox row as an SMS through the gateway: an HTTP POST of
 * JSON, the shape Vietnamese brand-name SMS providers take,
 *
 *   {"to": "84912345678", "brandname": "KHUYENCONG",
 *    "content": "Ho so KC-2026-000001: Duoc duyet. ...",
 *    "request_id": "<the row's Message-ID without angle brackets>"}
 *
 * with Idempotency-Key: the same request_id (a row posted again after a
 * crash is the same request to the gateway) and, when KC_SMS_TOKEN_FILE
 * is set, Authorization: Bearer <token>. Delivered when the gateway
 * answers 2xx; anything else (or no answer) is tried again later.
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "arena.h"

#include "sender.h"

/* The first bytes of the gateway's answer, for the row's last_error. */
struct answer {
	char	 text[160];
	size_t	 len;
};

static size_t
answer_write(char *p, size_t size, size_t n, void *data)
{
	struct answer	*a = data;
	size_t		 k = size * n;
	size_t		 room = sizeof(a->text) - 1 - a->len;

	memcpy(a->text + a->len, p, k < room ? k : room);
	a->len += k < room ? k : room;
	a->text[a->len] = '\0';
	return k;
}

/* The row's Message-ID without its angle brackets. */
static const char *
request_id(struct arena *a, const char *mid)
{
	size_t	 n = strlen(mid);

	if (n >= 2 && mid[0] == '<' && mid[n - 1] == '>')
		return arena_strndup(a, mid + 1, n - 2);
	return mid;
}

/* The JSON body of row r (in the arena). */
static const char *
sms_json(struct arena *a, const struct sender *s, const struct outbox_row *r,
    const char *rid)
{
	json_object	*o = json_object_new_object();
	const char	*text;

	json_object_object_add(o, "to", json_object_new_string(r->recipient));
	json_object_object_add(o, "brandname",
	    json_object_new_string(s->sms_brand));
	json_object_object_add(o, "content", json_object_new_string(r->body));
	json_object_object_add(o, "request_id", json_object_new_string(rid));
	text = arena_strdup(a, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return text;
}

/* Deliver SMS row r through the gateway: out->ok, or out->error. */
void
sms_send(const struct sender *s, struct arena *a, const struct outbox_row *r,
    struct outcome *out)
{
	CURL			*c;
	struct curl_slist	*h = NULL;
	struct answer		 ans = { "", 0 };
	const char		*rid = request_id(a, r->message_id);
	long			 code = 0;
	CURLcode		 rc;

	memset(out, 0, sizeof(*out));
	if ((c = curl_easy_init()) == NULL) {
		snprintf(out->error, sizeof(out->error), "curl_easy_init");
		return;
	}
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, arena_printf(a, "Idempotency-Key: %s", rid));
	if (s->sms_token != NULL)
		h = curl_slist_append(h, arena_printf(a,
		    "Authorization: Bearer %s", s->sms_token));
	curl_easy_setopt(c, CURLOPT_URL, s->sms_url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, sms_json(a, s, r, rid));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, answer_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &ans);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, s->timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, s->timeout_s);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK && code >= 200 && code < 300)
		out->ok = 1;
	else if (rc == CURLE_OK)
		snprintf(out->error, sizeof(out->error), "sms: HTTP %ld %s",
		    code, ans.text);
	else
		snprintf(out->error, sizeof(out->error), "sms: %s",
		    curl_easy_strerror(rc));
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}
