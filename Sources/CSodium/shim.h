#ifndef BORDERNET_CSODIUM_SHIM_H
#define BORDERNET_CSODIUM_SHIM_H
#include <sodium.h>
#endif
