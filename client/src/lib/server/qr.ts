import QRCode from 'qrcode';

/**
 * The join URL as an SVG QR code, made here so the projector needs no script and no web service to
 * show it. Black on white with the standard quiet zone: phone cameras read that best from far away,
 * whatever the screen's theme.
 */
export function joinQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
}
