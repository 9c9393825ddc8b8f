package newsroom

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
)

// Photo limits: the upload size, and the pixel count checked from the header
// before decoding, so that a small file declaring a huge image cannot
// exhaust memory.
const (
	MaxPhotoBytes  = 8 << 20
	maxPhotoPixels = 40_000_000
	minPhotoSide   = 16
	maxCaption     = 300
)

// Photo describes a photo of a release.
type Photo struct {
	ID          int64  `json:"id"`
	ContentType string `json:"content_type"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Caption     string `json:"caption"`
}

// preparePhoto checks an uploaded JPEG or PNG and re-encodes it, which drops
// whatever the file carried besides the pixels (camera and location
// metadata, trailing data).
func preparePhoto(raw []byte) (data []byte, contentType string, w, h int, err error) {
	bad := func(format string, args ...any) error {
		return fault.InvalidField("photo", "invalid_photo", format, args...)
	}
	if len(raw) == 0 {
		return nil, "", 0, 0, bad("choose a JPEG or PNG file")
	}
	if len(raw) > MaxPhotoBytes {
		return nil, "", 0, 0, bad("a photo has at most %d MiB", MaxPhotoBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil || (format != "jpeg" && format != "png") {
		return nil, "", 0, 0, bad("the file is not a JPEG or PNG image")
	}
	if cfg.Width < minPhotoSide || cfg.Height < minPhotoSide || cfg.Width*cfg.Height > maxPhotoPixels ||
		cfg.Width > 20000 || cfg.Height > 20000 {
		return nil, "", 0, 0, bad("a photo measures from %d×%d pixels up to %d megapixels", minPhotoSide, minPhotoSide, maxPhotoPixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, "", 0, 0, bad("the image is damaged: %v", err)
	}
	var buf bytes.Buffer
	if format == "png" {
		err, contentType = png.Encode(&buf, img), "image/png"
	} else {
		err, contentType = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}), "image/jpeg"
	}
	if err != nil {
		return nil, "", 0, 0, fmt.Errorf("re-encode photo: %w", err)
	}
	return buf.Bytes(), contentType, cfg.Width, cfg.Height, nil
}

// AddPhoto adds an uploaded JPEG or PNG photo with its caption to release id.
func (s *Service) AddPhoto(ctx context.Context, by policy.Actor, id int64, raw []byte, caption string) (Photo, error) {
	caption = strings.TrimSpace(caption)
	if utf8.RuneCountInString(caption) > maxCaption || !utf8.ValidString(caption) {
		return Photo{}, fault.InvalidField("caption", "too_long", "a caption has at most %d characters", maxCaption)
	}
	data, ct, w, h, err := preparePhoto(raw)
	if err != nil {
		return Photo{}, err
	}
	p := Photo{ContentType: ct, Width: w, Height: h, Caption: caption}
	err = s.change(ctx, by, policy.MediaReleaseWrite, id, "add photo", func(tx *journal.Tx, r Release) error {
		if len(r.Photos) >= MaxPhotos {
			return fault.InvalidField("photo", "too_many_photos", "a release has at most %d photos", MaxPhotos)
		}
		return tx.QueryRow(ctx, `INSERT INTO media_release_photos (release_id, content_type, data, width, height, caption, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, id, ct, data, w, h, caption, s.now()).Scan(&p.ID)
	})
	return p, err
}

// PhotoData returns the bytes and content type of photo photoID of release
// id, if by may see the release.
func (s *Service) PhotoData(ctx context.Context, by policy.Actor, id, photoID int64) ([]byte, string, error) {
	var state, ct string
	var data []byte
	err := s.store.QueryRow(ctx, `SELECT r.state, p.content_type, p.data FROM media_release_photos p
		JOIN media_releases r ON r.id = p.release_id WHERE p.id = ? AND p.release_id = ?`, photoID, id).Scan(&state, &ct, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fault.NotFoundf("no such photo")
	}
	if err != nil {
		return nil, "", fmt.Errorf("read photo %d: %w", photoID, err)
	}
	res := policy.Resource{Kind: ChangeKind, ID: strconv.FormatInt(id, 10), State: state}
	if d := policy.Can(by, policy.MediaReleaseRead, res); !d.Allowed {
		return nil, "", fault.NotFoundf("no such photo")
	}
	return data, ct, nil
}
