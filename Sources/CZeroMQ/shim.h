#ifndef BORDERNET_CZEROMQ_SHIM_H
#define BORDERNET_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
