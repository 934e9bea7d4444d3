# SPDX-License-Identifier: MIT
# The objects of the front end library and driver environment, relative
# to frontend/. Included by frontend/Makefile and backend/Makefile (which
# builds its own copy under $(BUILD)/backend so the two directories can be
# built in parallel without sharing outputs).
xfront-y := env/xenv-host.o env/xenv-linux.o env/xenbus.o env/xenbus-xs.o \
	blkfront/blkfront.o blkfront/request.o blkfront/xenbus.o \
	consfront/consfront.o netfront/netfront.o netfront/xenbus.o
