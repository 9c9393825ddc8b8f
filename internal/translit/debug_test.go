package translit

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDebugPrint(t *testing.T) {
	in := os.Getenv("TL_IN")
	if in == "" {
		t.Skip()
	}
	for _, s := range strings.Split(in, "|") {
		fmt.Printf("%s => %q\n", s, Romanize(s))
	}
	fmt.Println("hanzi:", hanziCount())
}
