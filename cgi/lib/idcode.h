/*
 * idcode: the province-of-birth codes that begin a 12-digit personal
 * identification number (số định danh cá nhân, the CCCD number), which
 * household businesses give in place of a tax code since 1 July 2025.
 */
#ifndef KC_IDCODE_H
#define KC_IDCODE_H

const char	*idcode_province(int code);

#endif
