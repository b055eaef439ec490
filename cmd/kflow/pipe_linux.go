package main

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// growPipe asks the kernel for a pipe buffer of size bytes when w is a
// pipe (Linux's default is 64 KiB): a fast writer then wakes its reader
// once per large write instead of once per 64 KiB. Best effort: a pipe
// that cannot grow (the per-user limit, say) is left as it is.
func growPipe(w io.Writer, size int) {
	f, ok := w.(*os.File)
	if !ok {
		return
	}
	var st unix.Stat_t
	if unix.Fstat(int(f.Fd()), &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFIFO {
		return
	}
	if cur, err := unix.FcntlInt(f.Fd(), unix.F_GETPIPE_SZ, 0); err == nil && cur < size {
		_, _ = unix.FcntlInt(f.Fd(), unix.F_SETPIPE_SZ, size)
	}
}
