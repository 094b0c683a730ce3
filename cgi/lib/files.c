/*
 * files: the store of uploaded files. See files.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "arena.h"
#include "conf.h"
#include "log.h"
#include "req.h"
#include "resp.h"
#include "files.h"

/* The types taken, by their first bytes. */
static const struct {
	const char	*magic;
	size_t		 len;
	const char	*ctype;
} kinds[] = {
	{ "%PDF-", 5, "application/pdf" },
	{ "\xFF\xD8\xFF", 3, "image/jpeg" },
	{ "\x89PNG\r\n\x1A\n", 8, "image/png" },
};

/* The type of data by its content: a PDF, JPEG or PNG, else NULL. */
const char *
files_sniff(const char *data, size_t len)
{
	size_t	 i;

	for (i = 0; i < NELEM(kinds); i++)
		if (len > kinds[i].len &&
		    memcmp(data, kinds[i].magic, kinds[i].len) == 0)
			return kinds[i].ctype;
	return NULL;
}

/* Is hex a stored file's name: 64 lower-case hex digits? */
int
files_hash_ok(const char *hex)
{
	size_t	 i;

	if (hex == NULL || strlen(hex) != FILES_HASH_HEX - 1)
		return 0;
	for (i = 0; hex[i] != '\0'; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		    (hex[i] >= 'a' && hex[i] <= 'f')))
			return 0;
	return 1;
}

/* The folder of the files, made when missing: its path, or NULL. */
static const char *
files_dir(char *buf, size_t size)
{
	snprintf(buf, size, "%s/files", conf_var());
	if (mkdir(buf, 0750) < 0 && errno != EEXIST) {
		log_err("files: mkdir %s: %s", buf, strerror(errno));
		return NULL;
	}
	return buf;
}

/* Write len bytes of data to a new file fd: 0 or -1. */
static int
write_all(int fd, const char *data, size_t len)
{
	ssize_t	 w;

	while (len > 0) {
		if ((w = write(fd, data, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += w;
		len -= (size_t)w;
	}
	return fsync(fd);
}

/* Store data of at most FILES_MAX bytes: files_store_max(). */
int
files_store(const char *data, size_t len, char hex[FILES_HASH_HEX])
{
	return files_store_max(data, len, FILES_MAX, hex);
}

/*
 * Store data (len bytes, at most max, itself at most FILES_STORE_MAX)
 * under the hex sha256 of its content, written into hex: written whole to
 * a temporary file, then renamed, so a reader never sees half a file; the
 * same content is stored once. 0, or -1 (logged).
 */
int
files_store_max(const char *data, size_t len, size_t max,
    char hex[FILES_HASH_HEX])
{
	unsigned char	 h[crypto_hash_sha256_BYTES];
	char		 dir[900], path[1000], tmp[1100];
	struct stat	 st;
	int		 fd, rc;

	if (len == 0 || len > max || len > FILES_STORE_MAX ||
	    files_dir(dir, sizeof(dir)) == NULL)
		return -1;
	crypto_hash_sha256(h, (const unsigned char *)data, len);
	sodium_bin2hex(hex, FILES_HASH_HEX, h, sizeof(h));
	snprintf(path, sizeof(path), "%s/%s", dir, hex);
	if (stat(path, &st) == 0 && (size_t)st.st_size == len)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-%ld-%08x", dir, hex,
	    (long)getpid(), randombytes_random());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0640)) < 0) {
		log_err("files: open %s: %s", tmp, strerror(errno));
		return -1;
	}
	rc = write_all(fd, data, len);
	if (close(fd) < 0 || rc < 0 || rename(tmp, path) < 0) {
		log_err("files: store %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * A name the applicant's computer gave a file, as it may be shown and
 * offered again: its last path component, without control characters,
 * at most 200 bytes (cut at a character), "tep" when nothing is left.
 */
const char *
files_clean_name(struct arena *a, const char *name)
{
	const char	*s = name != NULL ? name : "", *p;
	char		*o, *q;
	size_t		 n;

	if ((p = strrchr(s, '/')) != NULL)
		s = p + 1;
	if ((p = strrchr(s, '\\')) != NULL)
		s = p + 1;
	o = q = arena_alloc(a, strlen(s) + 1);
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			*q++ = *s;
	*q = '\0';
	for (n = strlen(o); n > 200; n--)
		while (n > 0 && ((unsigned char)o[n - 1] & 0xC0) == 0x80)
			n--;
	o[n] = '\0';
	return *o != '\0' ? o : "tep";
}

/* The Content-Disposition of a download named name (RFC 6266). */
static const char *
disposition(struct arena *a, const char *name)
{
	static const char hexd[] = "0123456789ABCDEF";
	char		*ascii, *pct, *p, *q;
	const unsigned char *s;

	/* The plain name: one "_" for each character outside ASCII. */
	ascii = p = arena_alloc(a, strlen(name) + 1);
	for (s = (const unsigned char *)name; *s != '\0'; s++)
		if ((*s & 0xC0) == 0x80)
			continue;
		else if (*s >= 0x80 || *s == '"' || *s == '\\' || *s == ';' ||
		    *s == '%')
			*p++ = '_';
		else
			*p++ = (char)*s;
	*p = '\0';
	pct = q = arena_alloc(a, 3 * strlen(name) + 1);
	for (s = (const unsigned char *)name; *s != '\0'; s++)
		if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z') || strchr("-._~", *s) != NULL)
			*q++ = (char)*s;
		else {
			*q++ = '%';
			*q++ = hexd[*s >> 4];
			*q++ = hexd[*s & 15];
		}
	*q = '\0';
	return arena_printf(a, "attachment; filename=\"%s\";"
	    " filename*=UTF-8''%s", ascii, pct);
}

/*
 * Answer the stored file hex (the caller checked who may read it) as a
 * download: its type ctype (as sniffed when stored), offered as name,
 * not cached (nginx adds X-Content-Type-Options: nosniff to every answer,
 * nginx/security-headers.conf). 200, or 404 when it is not in the store.
 */
int
files_serve(struct req *r, const char *hex, const char *ctype,
    const char *name)
{
	char		 dir[900], path[1000], *buf;
	struct stat	 st;
	ssize_t		 got;
	size_t		 off = 0;
	int		 fd;

	if (!files_hash_ok(hex) || files_dir(dir, sizeof(dir)) == NULL)
		return resp_fail(r, E_NOT_FOUND, "Không tìm thấy tệp này.");
	snprintf(path, sizeof(path), "%s/%s", dir, hex);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0 || st.st_size > (off_t)FILES_STORE_MAX) {
		if (fd >= 0)
			close(fd);
		log_err("files: %s: missing or unreadable", path);
		return resp_fail(r, E_NOT_FOUND, "Không tìm thấy tệp này.");
	}
	buf = arena_alloc(r->a, (size_t)st.st_size + 1);
	while (off < (size_t)st.st_size &&
	    (got = read(fd, buf + off, (size_t)st.st_size - off)) > 0)
		off += (size_t)got;
	close(fd);
	resp_add_header(r, "Content-Disposition", disposition(r->a, name));
	return resp_bytes(r, 200, ctype, buf, off);
}
