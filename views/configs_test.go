package views

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kflow/themes"
	"kflow/views/viewstest"
)

func newConfigsView(t *testing.T, fail error) *Configs {
	t.Helper()
	th, err := themes.Load("", "", true)
	if err != nil {
		t.Fatal(err)
	}
	fake := viewstest.New()
	fake.SetFail(fail)
	c := &Common{Ctx: context.Background(), Theme: th, Cluster: fake, Now: fake.Clock.Now, Timeout: time.Second}
	v := NewConfigs(c, "orders")
	v.SetSize(80, 20)
	_, _ = v.Update(v.Init()())
	return v
}

func TestConfigsSaysWhenTheLoadFailed(t *testing.T) {
	v := newConfigsView(t, errors.New("connection refused"))
	if screen := ansi.Strip(v.View()); !strings.Contains(screen, "could not load configs of orders (r retries)") {
		t.Fatalf("a failed load still says loading:\n%s", screen)
	}
}

func TestConfigsNamesAndValuesBeforeSource(t *testing.T) {
	const name, value = "leader.replication.throttled.replicas", "0:1,0:2,1:2,1:3,2:3,2:1,3:1,3:2,4:2,4:3,5:3,5:1"
	v := newConfigsView(t, nil)
	screen := ansi.Strip(v.View())
	if !strings.Contains(screen, name+"  0:1,0:2,") || strings.Contains(screen, value) || !strings.Contains(screen, "…") {
		t.Fatalf("at 80 columns the name is whole and the value cut with an ellipsis:\n%s", screen)
	}
	if strings.Contains(screen, "SOURCE") {
		t.Fatalf("SOURCE kept its room while a value is cut:\n%s", screen)
	}
	v.SetSize(160, 20)
	if screen := ansi.Strip(v.View()); !strings.Contains(screen, name+"  "+value) || !strings.Contains(screen, "SOURCE") {
		t.Fatalf("at 160 columns every column shows whole:\n%s", screen)
	}
}
