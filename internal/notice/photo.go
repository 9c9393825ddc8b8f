package notice

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"

	"golang.org/x/image/webp"

	"github.com/relais/relais/internal/fault"
)

// MaxPhotoBytes bounds one photograph as received.
const MaxPhotoBytes = 10 << 20

// maxPixels bounds the decoded image, so that a small file that claims huge
// dimensions cannot exhaust memory.
const maxPixels = 40_000_000

// Photo is a photograph ready to store: re-encoded from its pixels, so that
// nothing of the original file but the picture survives (no EXIF, no GPS
// position, no camera serial number, no trailing data).
type Photo struct {
	ContentType string
	Data        []byte
	SHA256      string
	Width       int
	Height      int
}

// PreparePhoto checks that raw is a JPEG, PNG or WebP image by its content
// (not by what the sender claims), decodes it and re-encodes it: JPEG stays
// JPEG, PNG and WebP become PNG (the standard library has no WebP encoder,
// and PNG keeps the picture without loss).
func PreparePhoto(raw []byte) (Photo, error) {
	if len(raw) == 0 {
		return Photo{}, fault.InvalidField("photo", "empty_photo", "the photo is empty")
	}
	if len(raw) > MaxPhotoBytes {
		return Photo{}, fault.InvalidField("photo", "photo_too_large", "a photo is at most %d MB", MaxPhotoBytes>>20)
	}
	sniffed := http.DetectContentType(raw)
	var decodeConfig func([]byte) (image.Config, error)
	var decode func([]byte) (image.Image, error)
	switch sniffed {
	case "image/jpeg":
		decodeConfig = func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
	case "image/png":
		decodeConfig = func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
	case "image/webp":
		decodeConfig = func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) }
	default:
		return Photo{}, fault.InvalidField("photo", "not_an_image", "the photo must be a JPEG, PNG or WebP image (its content looks like %s)", sniffed)
	}
	cfg, err := decodeConfig(raw)
	if err != nil {
		return Photo{}, fault.InvalidField("photo", "invalid_image", "the %s image cannot be read: %v", sniffed, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return Photo{}, fault.InvalidField("photo", "invalid_image", "the image is %dx%d pixels; at most %d million pixels", cfg.Width, cfg.Height, maxPixels/1_000_000)
	}
	img, err := decode(raw)
	if err != nil {
		return Photo{}, fault.InvalidField("photo", "invalid_image", "the %s image cannot be read: %v", sniffed, err)
	}
	var out bytes.Buffer
	p := Photo{Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	if sniffed == "image/jpeg" {
		p.ContentType = "image/jpeg"
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 92})
	} else {
		p.ContentType = "image/png"
		err = png.Encode(&out, img)
	}
	if err != nil {
		return Photo{}, fault.InvalidField("photo", "invalid_image", "the image cannot be re-encoded: %v", err)
	}
	p.Data = out.Bytes()
	sum := sha256.Sum256(p.Data)
	p.SHA256 = hex.EncodeToString(sum[:])
	return p, nil
}
