/*
 * ledger: the rules of an activity's money lines, in one place for every
 * way a line comes in (the staff console's lines, a bulk import of
 * payments). A line is a typed struct; ledger_check() says whether it may
 * be written, with the Vietnamese reason when not:
 *
 *   allocations ≤ the activity's budget (planned_vnd),
 *   disbursements ≤ allocations, settlements ≤ disbursements,
 *   amounts whole đồng and positive;
 *   a disbursement names its beneficiary: an application's reference
 *   code (KC-…), a facility, or a unit that is no facility (beneficiary);
 *   an application given must belong to that facility and to a call of
 *   the activity's plan year; its district (unit) is the facility's unit
 *   unless stated (a unit code valid on the day).
 *
 * Inside the caller's transaction: ledger_lock() locks the activity's row
 * first (so two lines of one activity are checked one after the other),
 * then ledger_check() or ledger_delete_check() read the sums with locking
 * reads. A limit is checked only when the change moves towards it (a
 * larger allocation against the budget, a smaller one against the
 * disbursements), so lines entered before a limit was lowered can still
 * be corrected downwards.
 */
#ifndef KC_LEDGER_H
#define KC_LEDGER_H

struct arena;
struct db;

enum ledger_kind { LEDGER_ALLOC, LEDGER_DISB, LEDGER_SETTLE, LEDGER__MAX };

/* The activity a line belongs to, as ledger_lock() read it. */
struct ledger_activity {
	long long	 id;
	long long	 year;		/* its plan year */
	long long	 planned_vnd;
};

/* One line on its way in. */
struct ledger_line {
	enum ledger_kind kind;
	long long	 id;		/* the line corrected; 0: a new one */
	long long	 amount_vnd;
	const char	*date;		/* YYYY-MM-DD */
	/* A disbursement's beneficiary (in; facility, application, unit
	 * filled in by ledger_check): */
	const char	*ref_code;	/* an application's KC-… or NULL */
	long long	 facility_id;	/* 0: none */
	long long	 application_id;	/* 0: none */
	const char	*beneficiary;	/* NULL: none */
	const char	*unit_code;	/* NULL: the facility's unit */
	long long	 unit_id;	/* out: 0 for none (province-wide) */
};

/* Why a line is refused: the input field and the message. */
struct ledger_err {
	const char	*field;
	const char	*message;
};

int	ledger_lock(struct db *, struct arena *, long long activity_id,
	    struct ledger_activity *);
int	ledger_check(struct db *, struct arena *,
	    const struct ledger_activity *, struct ledger_line *,
	    struct ledger_err *);
int	ledger_delete_check(struct db *, struct arena *,
	    const struct ledger_activity *, enum ledger_kind, long long id,
	    struct ledger_err *);

#endif
