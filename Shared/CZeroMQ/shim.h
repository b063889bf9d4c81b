#ifndef LOOM_CZEROMQ_SHIM_H
#define LOOM_CZEROMQ_SHIM_H
#include <zmq.h>
#include <sys/eventfd.h>
#endif
