package config

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// ParseBrokers splits a comma-separated broker list, trimming blanks and
// adding the default port 9092 where none is given.
func ParseBrokers(s string) ([]string, error) {
	var out []string
	for _, b := range strings.Split(s, ",") {
		b = strings.TrimSpace(b)
		if b == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(b); err != nil {
			if strings.Contains(err.Error(), "missing port") {
				b = net.JoinHostPort(strings.Trim(b, "[]"), "9092")
			} else {
				return nil, fmt.Errorf("broker address %q: %w", b, err)
			}
		}
		host, port, _ := net.SplitHostPort(b)
		if host == "" {
			return nil, fmt.Errorf("broker address %q: missing host", b)
		}
		if p, err := strconv.Atoi(port); err != nil || p <= 0 || p > 65535 {
			return nil, fmt.Errorf("broker address %q: port %q is not a number from 1 to 65535", b, port)
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, errors.New("no broker address given")
	}
	return out, nil
}
