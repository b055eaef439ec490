package kafka

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestConnectUnreachableFailsFastWithCause(t *testing.T) {
	for _, tc := range []struct{ addr, cause, notHint string }{
		{closedAddr(t), "connection refused (is the broker running", ""},
		// A name that does not resolve is a typo or DNS, not a stopped broker.
		{"no-such-host.invalid:9092", `the host name "no-such-host.invalid" does not resolve`, "is the broker running"},
	} {
		start := time.Now()
		_, err := Connect(context.Background(), ConnConfig{Brokers: []string{tc.addr}, Timeout: 3 * time.Second})
		var ue *UnreachableError
		if !errors.As(err, &ue) {
			t.Fatalf("Connect(%s) = %v, want *UnreachableError", tc.addr, err)
		}
		if strings.Count(err.Error(), tc.addr) != 1 || !strings.Contains(err.Error(), tc.cause) {
			t.Errorf("error %q does not name the address %s once and the cause %q", err, tc.addr, tc.cause)
		}
		if tc.notHint != "" && strings.Contains(err.Error(), tc.notHint) {
			t.Errorf("error %q says %q", err, tc.notHint)
		}
		if d := time.Since(start); d > 4*time.Second {
			t.Errorf("Connect took %v to fail", d)
		}
	}
}

// TestConnectUnreachableSeveral names each address once, with its cause.
func TestConnectUnreachableSeveral(t *testing.T) {
	a, b := closedAddr(t), "no-such-host.invalid:9092"
	_, err := Connect(context.Background(), ConnConfig{Brokers: []string{a, b}, Timeout: 3 * time.Second})
	if err == nil || strings.Count(err.Error(), a) != 1 || strings.Count(err.Error(), b) != 1 ||
		!strings.Contains(err.Error(), a+": connection refused") || !strings.Contains(err.Error(), "does not resolve") {
		t.Errorf("two unreachable brokers: %v", err)
	}
}

// TestConnectDoctorKfake makes kfake advertise an address that does not
// resolve, as a broker inside a compose network advertises kafka:9092.
func TestConnectDoctorKfake(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, port, _ := net.SplitHostPort(c.ListenAddrs()[0])
	c.ControlKey(int16(kmsg.Metadata), func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		resp := req.(*kmsg.MetadataRequest).ResponseKind().(*kmsg.MetadataResponse)
		b := kmsg.NewMetadataResponseBroker()
		b.NodeID, b.Host, b.Port = 0, "kafka.invalid", 9092
		resp.Brokers = append(resp.Brokers, b)
		resp.ControllerID = 0
		return resp, nil, true
	})
	_, err = Connect(testCtx(t), ConnConfig{Brokers: []string{"127.0.0.1:" + port}, Timeout: 5 * time.Second})
	assertDoctor(t, err, "kafka.invalid:9092")
}

// TestConnectDoctorRealBroker bootstraps through the real broker's DOCKER
// listener, which advertises kafka.invalid like a misconfigured container.
func TestConnectDoctorRealBroker(t *testing.T) {
	if realBrokers(t) == nil {
		return
	}
	addr := os.Getenv("KFLOW_TEST_DOCKER_LISTENER")
	if addr == "" {
		t.Fatal("KFLOW_TEST_DOCKER_LISTENER is not set: scripts/kafka/start.sh sets it")
	}
	_, port, _ := net.SplitHostPort(addr)
	start := time.Now()
	_, err := Connect(testCtx(t), ConnConfig{Brokers: []string{addr}, Timeout: 5 * time.Second})
	assertDoctor(t, err, "kafka.invalid:"+port)
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("the doctor took %v", d)
	}
}

func assertDoctor(t *testing.T, err error, advertised string) {
	t.Helper()
	var ae *AdvertisedError
	if !errors.As(err, &ae) {
		t.Fatalf("Connect = %v, want *AdvertisedError", err)
	}
	if ae.Advertised != advertised {
		t.Errorf("doctor blamed %s, want %s", ae.Advertised, advertised)
	}
	for _, want := range []string{advertised, "cannot reach", "ADVERTISED_LISTENERS", "localhost"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("doctor's advice %q lacks %q", err, want)
		}
	}
}

func TestCluster(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		info, err := c.Cluster(testCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		if info.ClusterID == "" || len(info.Brokers) != 1 {
			t.Fatalf("Cluster = %+v", info)
		}
		br := info.Brokers[0]
		if br.Host == "" || br.Port == 0 || !br.Controller || info.Controller != br.ID {
			t.Errorf("broker %+v, controller %d", br, info.Controller)
		}
		if b.real && br.Addr() != b.brokers[0] {
			t.Errorf("real broker advertises %s, bootstrap was %s", br.Addr(), b.brokers[0])
		}
	})
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			c, err := Connect(testCtx(t), ConnConfig{Brokers: b.brokers, ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx := testCtx(t)
			for name, err := range map[string]error{
				"create":  c.CreateTopic(ctx, TopicSpec{Name: "ro"}),
				"delete":  c.DeleteTopic(ctx, "ro"),
				"add":     c.AddPartitions(ctx, "ro", 1),
				"group":   c.DeleteGroup(ctx, "g"),
				"reset":   c.ApplyReset(ctx, ResetPlan{Group: "g"}),
				"produce": func() error { _, err := c.Produce(ctx, Record{Topic: "ro"}); return err }(),
				"stream":  func() error { _, err := c.ProduceStream(ctx, StreamOptions{Count: 1}, nil); return err }(),
			} {
				if !errors.Is(err, ErrReadOnly) {
					t.Errorf("%s under read-only = %v, want ErrReadOnly", name, err)
				}
			}
			if _, err := c.ListTopics(ctx); err != nil {
				t.Errorf("reading under read-only: %v", err)
			}
		})
	}
}

// TestClusterFailsWhenBrokerGone: Cluster is the UI's health check, so it
// must ask the broker, not a cache.
func TestClusterFailsWhenBrokerGone(t *testing.T) {
	fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0))
	if err != nil {
		t.Fatal(err)
	}
	c := connect(t, backend{name: "kfake", brokers: fake.ListenAddrs()})
	c.cfg.Timeout = 2 * time.Second
	if _, err := c.Cluster(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	fake.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := c.Cluster(ctx); err == nil {
		t.Fatal("Cluster answered with the broker gone")
	}
}
