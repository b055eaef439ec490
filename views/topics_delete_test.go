package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/themes"
)

func TestDeleteConfirmCountsInTheSingular(t *testing.T) {
	th, err := themes.Load("", "", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		topic kafka.TopicSummary
		want  string
	}{
		{kafka.TopicSummary{Name: "one", Partitions: 1, Records: 1}, "Its 1 partition and 1 record will be lost"},
		{kafka.TopicSummary{Name: "many", Partitions: 3, Records: 1234}, "All 3 partitions and 1,234 records will be lost"},
	} {
		d := newDeleteConfirm(&Common{Theme: th}, c.topic)
		d.setWidth(200)
		if got := strings.Join(strings.Fields(ansi.Strip(d.view())), " "); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q lacks %q", c.topic.Name, got, c.want)
		}
	}
}
